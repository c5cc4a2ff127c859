# Table XIII: test-time Gaussian noise N(0, 1) * sigma, sigma = 20, on the
# [-128, 128] coordinates of a fine-tuned WLASL2000 model:
#   python tools/test.py configs/ablations/table13_test_noise_sigma20.py CKPT
_base_ = ['../finetune/masa_finetune_wlasl2000.py']
test_dataloader = dict(
    dataset=dict(pipeline=[
        dict(type='SelectSignJoints'),
        dict(type='PartNormalize'),
        dict(type='PoseGaussianNoise', sigma=20.0),
        dict(type='SignSampleFrames', clip_len=32, test_mode=True),
        dict(type='PackSignInputs')
    ]))
